package channel

import "github.com/mockpay/mockpay/payment"

// StatusNames is how a channel names the domain's neutral trade states on its
// wire and wherever mockpay shows a trade of that channel (control API,
// dashboard, cashier): where the domain says pending, WeChat Pay says
// NOTPAY and Alipay its own word (channel/alipay/kit/status.go). Every state of payment.Statuses has a name.
type StatusNames map[payment.Status]string

// Name is the channel's name of s; a state the table lacks shows as the
// domain's own word rather than nothing.
func (n StatusNames) Name(s payment.Status) string {
	if name, ok := n[s]; ok {
		return name
	}
	return string(s)
}

// Parse reads a channel's name back into the domain's state. Where a
// channel gives two states one name (WeChat Pay's SUCCESS is paid and
// finished), the earlier state in the domain's order wins.
func (n StatusNames) Parse(name string) (payment.Status, bool) {
	for _, s := range payment.Statuses {
		if v, ok := n[s]; ok && v == name {
			return s, true
		}
	}
	return "", false
}

// List is the channel's names in the domain's order of states.
func (n StatusNames) List() []string {
	out := make([]string, 0, len(payment.Statuses))
	for _, s := range payment.Statuses {
		out = append(out, n.Name(s))
	}
	return out
}
