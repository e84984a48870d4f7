// Package faults is mockpay's fault injection: opt-in scenarios that make
// the platform misbehave the way real ones do on their bad days, so a shop
// can prove it stays correct. It lives in the channel-blind core: delivery
// faults are a layer around notify's send step (Layer), gateway faults a
// wrapper around every channel route (Gateway), buyer faults a wrapper
// around the cashier's actions (Buyer). What only a platform's wire can do
// (a notification signed with the wrong key, its "system busy" answer)
// comes from the protocol through channel.Faults.
//
// Nothing here acts unless a scenario was selected: for an app (Selection,
// from the control API, the dashboard, fixtures or the CLI) or for one
// trade (a marker in its passback_params/attach, or a magic amount in the
// reserved range; ForTrade). An app or trade with none behaves exactly like
// the real platform.
package faults

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind names a scenario step.
type Kind string

// Delivery steps: each takes the attempts it names, in chain order.
const (
	Duplicate    Kind = "duplicate"    // the attempt is delivered twice, one after the other
	Simultaneous Kind = "simultaneous" // the attempt is delivered twice at the same moment
	Delay        Kind = "delay"        // the attempt is held back a duration (virtual), then sent
	Drop         Kind = "drop"         // the next N attempts are lost on the way: not sent
	Reorder      Kind = "reorder"      // held back (default 10m) so a later notification of the trade overtakes it
	Tamper       Kind = "tamper"       // canary: the amount changed, signed with a key not the platform's
	WrongKey     Kind = "wrongkey"     // canary: genuine content signed with a key not the platform's
	Forge        Kind = "forge"        // canary: a signature that verifies under no key
	NoSign       Kind = "nosign"       // canary: no signature at all
	SignTest     Kind = "signtest"     // canary: WeChat Pay's WECHATPAY/SIGNTEST/ probe
)

// Gateway steps: each takes the next N calls of a method ("*": any).
const (
	Busy    Kind = "busy"    // the platform's "system busy" answer, while the call's action still happens
	Latency Kind = "latency" // every matching call answers a duration later (real time)
	Timeout Kind = "timeout" // no answer before the client gives up; the action happens
	Reset   Kind = "reset"   // the connection is reset instead of an answer; the action happens
)

// Buyer steps.
const (
	Insufficient Kind = "insufficient" // the first payment fails for want of balance; the next succeeds
	Twice        Kind = "twice"        // the buyer pays from two tabs at once
	Late         Kind = "late"         // a payment lands a duration (virtual) after the buyer paid
)

// Family is what a kind acts on.
type Family int

const (
	DeliveryFamily Family = iota
	GatewayFamily
	BuyerFamily
)

type kindInfo struct {
	family Family
	canary bool
	about  string
}

var kinds = map[Kind]kindInfo{
	Duplicate:    {DeliveryFamily, false, "deliver the attempt twice, one after the other"},
	Simultaneous: {DeliveryFamily, false, "deliver the attempt twice at the same moment"},
	Delay:        {DeliveryFamily, false, "hold the attempt back a duration (delay:30m), then send it"},
	Drop:         {DeliveryFamily, false, "lose the next N attempts (drop:2); the platform retries on its schedule"},
	Reorder:      {DeliveryFamily, false, "hold it back (reorder:10m) so a later notification of the trade overtakes it"},
	Tamper:       {DeliveryFamily, true, "canary: the amount changed and signed with a key not the platform's"},
	WrongKey:     {DeliveryFamily, true, "canary: the genuine content signed with a key not the platform's"},
	Forge:        {DeliveryFamily, true, "canary: a signature that verifies under no key"},
	NoSign:       {DeliveryFamily, true, "canary: no signature at all"},
	SignTest:     {DeliveryFamily, true, "canary: WeChat Pay's WECHATPAY/SIGNTEST/ signature probe"},
	Busy:         {GatewayFamily, false, "answer the next N calls of a method (busy:alipay.trade.query:2) with the platform's system-busy error; the call still acts"},
	Latency:      {GatewayFamily, false, "answer every call (latency:2s) or a method's (latency:2s:alipay.trade.pay) that much later"},
	Timeout:      {GatewayFamily, false, "give no answer to the next N calls of a method (timeout:alipay.trade.pay:1) until the client gives up; the call still acts"},
	Reset:        {GatewayFamily, false, "reset the connection of the next N calls of a method (reset:alipay.trade.refund); the call still acts"},
	Insufficient: {BuyerFamily, false, "the buyer's first payment fails for want of balance, the next succeeds"},
	Twice:        {BuyerFamily, false, "the buyer pays from two tabs at the same moment"},
	Late:         {BuyerFamily, false, "the buyer's payment lands a duration later (late:30m), after the shop's own timeout"},
}

// Kinds lists every kind with what it does, in a stable order.
func Kinds() []Kind {
	return []Kind{Duplicate, Simultaneous, Delay, Drop, Reorder, Tamper, WrongKey, Forge, NoSign, SignTest,
		Busy, Latency, Timeout, Reset, Insufficient, Twice, Late}
}

// About says what k does.
func (k Kind) About() string { return kinds[k].about }

// Family is what k acts on.
func (k Kind) Family() Family { return kinds[k].family }

// Canary reports whether a delivery of kind k is one the shop must reject.
func (k Kind) Canary() bool { return kinds[k].canary }

// Step is one link of a chain.
type Step struct {
	Kind   Kind
	N      int           // drop: attempts; busy, timeout, reset: calls
	D      time.Duration // delay, reorder, latency, late
	Method string        // gateway steps: the method or service, "*" for any
}

// String is the step in the syntax Parse reads.
func (s Step) String() string {
	switch s.Kind {
	case Drop:
		return fmt.Sprintf("drop:%d", s.N)
	case Delay, Reorder, Late:
		return string(s.Kind) + ":" + s.D.String()
	case Latency:
		if s.Method == "*" {
			return "latency:" + s.D.String()
		}
		return "latency:" + s.D.String() + ":" + s.Method
	case Busy, Timeout, Reset:
		return fmt.Sprintf("%s:%s:%d", s.Kind, s.Method, s.N)
	}
	return string(s.Kind)
}

// Plan is a chain of steps, in the order they act: a delivery chain takes
// attempts one step after another (drop:1,duplicate: the first attempt is
// lost, the second delivered twice), a gateway chain the calls of each
// method (busy:alipay.trade.query:1,timeout:alipay.trade.query:1), and
// once a chain is spent the platform behaves as itself.
type Plan []Step

// String is the plan in the syntax Parse reads.
func (p Plan) String() string {
	parts := make([]string, len(p))
	for i, s := range p {
		parts[i] = s.String()
	}
	return strings.Join(parts, ",")
}

// Of is the plan's steps of one family, in order.
func (p Plan) Of(f Family) Plan {
	var out Plan
	for _, s := range p {
		if s.Kind.Family() == f {
			out = append(out, s)
		}
	}
	return out
}

// Has reports whether the plan has a step of kind k.
func (p Plan) Has(k Kind) (Step, bool) {
	for _, s := range p {
		if s.Kind == k {
			return s, true
		}
	}
	return Step{}, false
}

// Aliases Parse accepts besides the kinds' own names.
var aliases = map[string]Kind{
	"duplicate-simultaneous": Simultaneous, "concurrent": Simultaneous,
	"wrong-key": WrongKey, "forged": Forge, "unsigned": NoSign, "no-sign": NoSign, "probe": SignTest,
	"system-busy": Busy, "balance": Insufficient, "two-tabs": Twice, "pays-late": Late,
}

// MaxSteps bounds a chain.
const MaxSteps = 32

// Parse reads a chain: steps separated by commas (or spaces), each a kind
// with its arguments after colons. "" is the empty plan.
func Parse(spec string) (Plan, error) {
	fields := strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
	if len(fields) > MaxSteps {
		return nil, fmt.Errorf("at most %d steps in a chain, got %d", MaxSteps, len(fields))
	}
	var p Plan
	for _, f := range fields {
		s, err := parseStep(f)
		if err != nil {
			return nil, err
		}
		p = append(p, s)
	}
	return p, nil
}

func parseStep(f string) (Step, error) {
	parts := strings.Split(f, ":")
	name := strings.ToLower(parts[0])
	k, ok := aliases[name]
	if !ok {
		k = Kind(name)
	}
	if _, known := kinds[k]; !known {
		return Step{}, fmt.Errorf("unknown scenario %q: one of %s", parts[0], kindList())
	}
	args := parts[1:]
	s := Step{Kind: k}
	bad := func(format string) (Step, error) {
		return Step{}, fmt.Errorf("scenario %q: want %s", f, format)
	}
	switch k {
	case Drop:
		if len(args) > 1 {
			return bad("drop or drop:N")
		}
		s.N = 1
		if len(args) == 1 {
			n, err := strconv.Atoi(args[0])
			if err != nil || n < 1 || n > 100 {
				return bad("drop:N with N from 1 to 100")
			}
			s.N = n
		}
	case Delay, Reorder, Late:
		def := map[Kind]time.Duration{Delay: 10 * time.Minute, Reorder: 10 * time.Minute, Late: 30 * time.Minute}[k]
		if len(args) > 1 {
			return bad(string(k) + " or " + string(k) + ":DURATION")
		}
		s.D = def
		if len(args) == 1 {
			d, err := parseSpan(args[0])
			if err != nil {
				return bad(string(k) + ":DURATION (30s, 10m, 2h, 1d)")
			}
			s.D = d
		}
	case Latency:
		if len(args) < 1 || len(args) > 2 {
			return bad("latency:DURATION or latency:DURATION:METHOD")
		}
		d, err := parseSpan(args[0])
		if err != nil || d > 10*time.Minute {
			return bad("latency:DURATION of at most 10m")
		}
		s.D, s.Method = d, "*"
		if len(args) == 2 && args[1] != "" {
			s.Method = args[1]
		}
	case Busy, Timeout, Reset:
		if len(args) > 2 {
			return bad(string(k) + ":METHOD or " + string(k) + ":METHOD:N")
		}
		s.Method, s.N = "*", 1
		if len(args) >= 1 && args[0] != "" {
			s.Method = args[0]
		}
		if len(args) == 2 {
			n, err := strconv.Atoi(args[1])
			if err != nil || n < 1 || n > 1000 {
				return bad(string(k) + ":METHOD:N with N from 1 to 1000")
			}
			s.N = n
		}
	default:
		if len(args) > 0 {
			return bad(string(k) + " with no arguments")
		}
	}
	return s, nil
}

// parseSpan reads 30s, 10m, 2h, 1d (a day is 24h), or any Go duration.
func parseSpan(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 || days > 30 {
			return 0, fmt.Errorf("bad span %q", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 || d > 30*24*time.Hour {
		return 0, fmt.Errorf("bad span %q", s)
	}
	return d, nil
}

func kindList() string {
	names := make([]string, 0, len(kinds))
	for _, k := range Kinds() {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}
