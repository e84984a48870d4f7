package launch

import (
	"fmt"
	"os"
)

// Suite is what TestMain gets (*testing.M), without importing testing.
type Suite interface{ Run() int }

// Main is a compat suite's TestMain body: it starts mockpay (Options.Bin,
// else $MOCKPAY_BIN, else one built from BuildFrom), hands it to setup
// (read the apps, save the CA, set the environment a shop sets), runs the
// tests, prints the tail of mockpay's output when one failed, and stops
// it. It returns the exit code.
func Main(m Suite, o Options, buildFrom, makeTarget string, setup func(*Server) error) int {
	if o.Bin == "" {
		o.Bin = os.Getenv("MOCKPAY_BIN")
	}
	if o.Bin == "" && buildFrom == "" {
		fmt.Fprintf(os.Stderr, "MOCKPAY_BIN is not set: run `make %s` (it builds bin/mockpay)\n", makeTarget)
		return 1
	}
	if o.Bin == "" {
		dir, err := os.MkdirTemp("", "mockpay-build-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		if o.Bin, err = Binary(buildFrom, dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	s, err := Start(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // with mockpay's output
		return 1
	}
	defer s.Stop()
	if setup != nil {
		if err := setup(s); err != nil {
			fmt.Fprintf(os.Stderr, "%v\n---- mockpay output (tail) ----\n%s\n", err, s.Tail(20000))
			return 1
		}
	}
	code := m.Run()
	if code != 0 {
		fmt.Fprintf(os.Stderr, "---- mockpay output (tail) ----\n%s\n", s.Tail(20000))
	}
	return code
}
