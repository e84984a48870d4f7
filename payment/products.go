package payment

import "time"

// The server-to-server products of issue 4 (alipay-protocol.md §2.7). None
// has a sync return; the buyer reaches them by scanning, by a barcode the
// merchant scans, in a mini-program or in the mobile app.
const (
	ProductCreate    Product = "create"    // alipay.trade.create (JSAPI / mini-program)
	ProductPrecreate Product = "precreate" // alipay.trade.precreate: the buyer scans a QR code
	ProductBarcode   Product = "barcode"   // alipay.trade.pay: the merchant scans the buyer's code
	ProductAppPay    Product = "app"       // alipay.trade.app.pay: the mobile SDK pays
)

// DefaultFaceToFaceTimeout is the unpaid timeout of alipay.trade.pay when the
// order names none (§4.2).
const DefaultFaceToFaceTimeout = 3 * time.Hour
