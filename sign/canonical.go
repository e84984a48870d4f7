// Package sign holds the signing rules shared by Alipay's protocols: canonical
// parameter strings, RSA/RSA2 and MD5 signatures, and key parsing.
package sign

import (
	"sort"
	"strings"
)

// Param is one decoded request or notification parameter.
type Param struct {
	Key, Value string
}

// Params is an ordered parameter list. Order matters only for what mockpay
// emits; canonical strings are always sorted.
type Params []Param

// Get returns the first value of key and whether it was present.
func (p Params) Get(key string) (string, bool) {
	for _, kv := range p {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// Value returns the first value of key, or "".
func (p Params) Value(key string) string {
	v, _ := p.Get(key)
	return v
}

// Add appends key=value.
func (p *Params) Add(key, value string) { *p = append(*p, Param{key, value}) }

// AddNonEmpty appends key=value unless value is empty: Alipay never sends
// empty fields (alipay-protocol.md §3.3, §6.5 item 6).
func (p *Params) AddNonEmpty(key, value string) {
	if value != "" {
		p.Add(key, value)
	}
}

// CanonicalOptions says which parameters a canonical string leaves out.
type CanonicalOptions struct {
	Exclude      []string // keys never signed (sign, and sign_type where the rule says so)
	IncludeEmpty bool     // include k= for empty values (the Node SDK signs them, §2.1)
}

// Canonical builds the string Alipay signs: keys sorted by byte order, k=v
// joined with &, raw (decoded) values, no URL encoding (§1.2, §2.3, §3.3).
func Canonical(params Params, opt CanonicalOptions) string {
	kept := make(Params, 0, len(params))
	for _, kv := range params {
		if contains(opt.Exclude, kv.Key) || (kv.Value == "" && !opt.IncludeEmpty) {
			continue
		}
		kept = append(kept, kv)
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].Key < kept[j].Key })
	var b strings.Builder
	for i, kv := range kept {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv.Key)
		b.WriteByte('=')
		b.WriteString(kv.Value)
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
