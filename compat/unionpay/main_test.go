package unionpay

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/mockpay/mockpay/compat/launch"
)

// base is mockpay's URL; merchants its UnionPay merchants; mockpay the
// running server (its output goes in failure reports).
var (
	base      string
	merchants []merchantInfo
	mockpay   *launch.Server
)

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	if code != 0 && mockpay != nil {
		fmt.Fprintf(os.Stderr, "---- mockpay output ----\n%s\n", mockpay.Tail(20000))
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "mockpay-compat-unionpay-")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)
	// Without MOCKPAY_BIN, a mockpay built from the repository root.
	bin, err := launch.Binary(filepath.Join("..", ".."), dir)
	if err != nil {
		return 1, err
	}
	if mockpay, err = launch.Start(launch.Options{Bin: bin, Dir: dir}); err != nil {
		return 1, err
	}
	defer mockpay.Stop()
	base = mockpay.URL
	if merchants, err = listMerchants(); err != nil {
		return 1, err
	}
	return m.Run(), nil
}
