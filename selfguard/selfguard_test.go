package selfguard

import (
	"errors"
	"net"
	"net/netip"
	"testing"
)

func TestCheck(t *testing.T) {
	g := &Guard{localIPs: func() []netip.Addr { return []netip.Addr{netip.MustParseAddr("192.0.2.7")} }}
	g.Add(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2088})
	g.Add(&net.TCPAddr{IP: net.IPv6unspecified, Port: 8443})
	for _, tc := range []struct {
		url  string
		self bool
	}{
		{"", false},
		{"http://127.0.0.1:2088/notify", true},
		{"http://localhost:2088/notify", true},
		{"http://LOCALHOST.:2088/notify", true},
		{"http://app.localhost:2088/notify", true},
		{"http://[::ffff:127.0.0.1]:2088/notify", true},
		{"http://127.0.0.1:2089/notify", false},
		{"http://0.0.0.0:2088/notify", true},
		{"http://[::]:2088/notify", true},
		{"http://0.0.0.0:2089/notify", false},
		{"http://127.0.0.1/notify", false},
		{"http://shop.example:2088/notify", false},
		{"http://127.0.0.1:3000/_mockpay/api/reset", true},
		{"http://shop.example/_mockpay/api/reset", true},
		{"http://shop.example/_MOCKPAY/api/reset", true},
		{"http://shop.example/%5Fmockpay/api/reset", true},
		{"http://shop.example//_mockpay/api/reset", true},
		{"http://shop.example/./_mockpay/api/reset", true},
		{"http://shop.example/x/../_mockpay", true},
		{"http://shop.example/_mockpayments/notify", false},
		{"http://shop.example/notify?next=/_mockpay/api/reset", false},
		{"https://192.0.2.7:8443/notify", true},
		{"https://127.0.0.1:8443/notify", true},
		{"https://[::1]:8443/notify", true},
		{"https://198.51.100.1:8443/notify", false},
	} {
		err := g.Check(tc.url)
		if got := errors.Is(err, ErrSelf); got != tc.self {
			t.Errorf("Check(%q) = %v, want self=%v", tc.url, err, tc.self)
		}
	}
}

func TestDialControl(t *testing.T) {
	g := &Guard{localIPs: func() []netip.Addr { return nil }}
	g.Add(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2088})
	for addr, self := range map[string]bool{
		"127.0.0.1:2088": true,
		"127.0.0.1:2089": false,
		"10.0.0.1:2088":  false,
		"[::1]:2088":     false, // a 127.0.0.1 listener is not reached on ::1
		"0.0.0.0:2088":   true,  // but it is on the unspecified address
		"[::]:2088":      true,
	} {
		if got := errors.Is(g.DialControl("tcp4", addr, nil), ErrSelf); got != self {
			t.Errorf("DialControl(%q) self=%v, want %v", addr, got, self)
		}
	}
}
