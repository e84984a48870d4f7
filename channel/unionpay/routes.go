package unionpay

import (
	"net/http"

	"github.com/mockpay/mockpay/channel"
)

// The gateway's paths (§1.1), answered on any host; mockpay's own pages of
// the platform (the return page, the app) are under /unionpay/.
const (
	frontPath = "/gateway/api/frontTransReq.do"
	backPath  = "/gateway/api/backTransReq.do"
	queryPath = "/gateway/api/queryTrans.do"
	appPath   = "/gateway/api/appTransReq.do"
	// filePath is the file server's root: acpsdk.fileTransUrl is
	// https://filedownload.test.95516.com/ (§1.1).
	filePath   = "/"
	returnPath = "/unionpay/return"
	appPayPath = "/unionpay/app"
)

func (g *gateway) routes() []channel.Route {
	post := []string{http.MethodPost}
	return []channel.Route{
		{Methods: []string{http.MethodGet, http.MethodPost}, Path: frontPath, Handler: http.HandlerFunc(g.front)},
		{Methods: post, Path: backPath, Handler: g.serve(g.back)},
		{Methods: post, Path: queryPath, Handler: g.serve(g.find)},
		{Methods: post, Path: appPath, Handler: g.serve(g.appOrder)},
		{Methods: post, Path: filePath, Handler: g.serve(g.reconciliation)},
		{Methods: []string{http.MethodGet}, Path: returnPath, Handler: http.HandlerFunc(g.returnPage)},
		{Methods: []string{http.MethodGet}, Path: appPayPath, Handler: http.HandlerFunc(g.appPage)},
	}
}
