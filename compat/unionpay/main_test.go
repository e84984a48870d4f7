package unionpay

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mockpay/mockpay/compat/launch"
)

// base is mockpay's URL; merchants its UnionPay merchants.
var (
	base      string
	merchants []merchantInfo
)

// Without MOCKPAY_BIN, a mockpay built from the repository root.
func TestMain(m *testing.M) {
	os.Exit(launch.Main(m, launch.Options{TempPrefix: "mockpay-compat-unionpay-"}, filepath.Join("..", ".."), "test-compat-unionpay", func(s *launch.Server) (err error) {
		base = s.URL
		merchants, err = listMerchants()
		return err
	}))
}
