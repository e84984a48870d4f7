package gopayv2

import (
	"testing"

	"github.com/go-pay/gopay/wechat"
)

func TestProbe(t *testing.T) { _ = wechat.NewClient("wx", "1", "k", true) }
