package channel_test

import (
	"slices"
	"testing"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
)

var names = channel.StatusNames{
	payment.StatusPending: "WAIT", payment.StatusPaid: "OK", payment.StatusFinished: "DONE", payment.StatusClosed: "SHUT",
}

func TestSetNamesStatusesPerChannel(t *testing.T) {
	other := channel.StatusNames{payment.StatusPending: "NOTPAY", payment.StatusPaid: "SUCCESS", payment.StatusFinished: "SUCCESS", payment.StatusClosed: "CLOSED"}
	s, err := channel.NewSet(
		&channel.Channel{Name: "a", Statuses: names, Protocols: []*channel.Protocol{{ID: "a1"}, {ID: "a2"}}},
		&channel.Channel{Name: "b", Statuses: other, Protocols: []*channel.Protocol{{ID: "b1"}}},
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.StatusName("a2", payment.StatusPaid); got != "OK" {
		t.Errorf("a2 paid = %q", got)
	}
	if got := s.StatusName("b1", payment.StatusPending); got != "NOTPAY" {
		t.Errorf("b1 pending = %q", got)
	}
	if got := s.StatusName("nobody", payment.StatusClosed); got != "closed" {
		t.Errorf("an unregistered protocol shows the domain's word, got %q", got)
	}
	for name, want := range map[string]payment.Status{"WAIT": payment.StatusPending, "CLOSED": payment.StatusClosed, "paid": payment.StatusPaid} {
		if got, ok := s.ParseStatus(name); !ok || got != want {
			t.Errorf("ParseStatus(%q) = %q %v, want %q", name, got, ok, want)
		}
	}
	if _, ok := s.ParseStatus("TRADE_SUCCESS"); ok {
		t.Error("a name no channel uses parsed")
	}
	if got := s.StatusNames(); !slices.Equal(got, []string{"WAIT", "OK", "DONE", "SHUT", "NOTPAY", "SUCCESS", "CLOSED"}) {
		t.Errorf("StatusNames = %v", got)
	}
	if p, c, ok := s.Protocol("a1"); !ok || p.ID != "a1" || c.Name != "a" {
		t.Errorf("Protocol(a1) = %v %v %v", p, c, ok)
	}
}

func TestSetRefusesASharedProtocolID(t *testing.T) {
	_, err := channel.NewSet(
		&channel.Channel{Name: "a", Protocols: []*channel.Protocol{{ID: "x"}}},
		&channel.Channel{Name: "b", Protocols: []*channel.Protocol{{ID: "x"}}},
	)
	if err == nil {
		t.Fatal("two channels registered the same protocol id")
	}
}

func TestSetHostsAreEveryChannelsOnce(t *testing.T) {
	s, err := channel.NewSet(
		&channel.Channel{Name: "a", Protocols: []*channel.Protocol{{ID: "a1"}}, Hosts: []string{"api.a.test", "pay.shared.test"}},
		&channel.Channel{Name: "b", Protocols: []*channel.Protocol{{ID: "b1"}}, Hosts: []string{"pay.shared.test", "api.b.test"}},
		&channel.Channel{Name: "c", Protocols: []*channel.Protocol{{ID: "c1"}}},
	)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Hosts(), []string{"api.a.test", "pay.shared.test", "api.b.test"}; !slices.Equal(got, want) {
		t.Errorf("Hosts() = %q, want %q", got, want)
	}
}
