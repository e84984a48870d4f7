package mockpaytest

import "github.com/mockpay/mockpay/faults"

// Faults selects an app's fault chain (README: Fault injection), e.g.
// "drop:1,duplicate" or "tamper,forge"; "" clears it. A chain that does not
// parse fails the test.
func (s *Sandbox) Faults(appID, chain string) {
	s.t.Helper()
	p, err := faults.Parse(chain)
	if err != nil {
		s.t.Fatalf("mockpaytest: faults: %v", err)
	}
	if _, ok := s.inst.Apps.App(appID); !ok {
		s.t.Fatalf("mockpaytest: faults: no app %s", appID)
	}
	s.inst.Faults.Set(appID, p)
}
