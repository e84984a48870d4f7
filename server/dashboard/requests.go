package dashboard

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/journal"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
)

// dashRequestsLimit is how many journal entries the list shows, newest first.
const dashRequestsLimit = 200

type dashRequestsView struct {
	dashPage
	Requests       []controlapi.Request
	AppID, Verdict string
	Size, Limit    int
}

// ShowRequests is the request journal: the newest platform requests with
// their verdicts, filtered by app and verdict through a GET form.
func (s *Dashboard) ShowRequests(c echo.Context) error {
	v := dashRequestsView{dashPage: s.page(c, "Requests", "requests"), AppID: c.QueryParam("app"), Verdict: c.QueryParam("verdict"), Limit: dashRequestsLimit}
	switch v.Verdict {
	case "", journal.VerdictAccepted, journal.VerdictRejected:
	default:
		return s.fail(c, views.BadInput("verdict %q: use accepted or rejected", v.Verdict))
	}
	if s.Journal != nil {
		v.Size = s.Journal.Size()
		for _, e := range s.Journal.Newest(journal.Filter{App: v.AppID, Verdict: v.Verdict}, v.Limit) {
			v.Requests = append(v.Requests, views.RequestJSON(e))
		}
	}
	return s.render(c, http.StatusOK, "dashboard_requests.html", v)
}

type dashRequestView struct {
	dashPage
	R controlapi.Request
	// MD5 is a legacy MD5 request: `mockpay verify` checks RSA keys only.
	MD5 bool
}

// ShowRequest is one journal entry; for a bad signature, the page that
// explains it: the string mockpay verified (monospace, copyable), the
// likely mistake, each parameter and whether it was signed, and how to
// check it offline with `mockpay verify`.
func (s *Dashboard) ShowRequest(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	var e journal.Entry
	ok := false
	if err == nil && s.Journal != nil {
		e, ok = s.Journal.Get(id)
	}
	if !ok {
		return s.fail(c, payment.Errorf(views.CodeRequestNotFound, "no request %q in the journal (it keeps the newest %d)", c.Param("id"), s.journalSize()))
	}
	v := dashRequestView{dashPage: s.page(c, "Request #"+c.Param("id"), "requests"), R: views.RequestJSON(e)}
	if d := v.R.Diagnosis; d != nil {
		for _, p := range d.Params {
			v.MD5 = v.MD5 || (p.Key == "sign_type" && p.Value == "MD5")
		}
	}
	return s.render(c, http.StatusOK, "dashboard_request.html", v)
}

func (s *Dashboard) journalSize() int {
	if s.Journal == nil {
		return 0
	}
	return s.Journal.Size()
}
