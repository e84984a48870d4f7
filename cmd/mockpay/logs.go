package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mockpay/mockpay/controlapi"
)

// logs prints the request journal: every call to the emulated gateways and
// the cashier with its verdict; --follow tails it, across restarts.
func logs(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("logs [flags]",
		"Print the request journal: every call to the emulated gateways and the cashier, with the platform's\nverdict (and for a bad signature, the string mockpay verified and the likely mistake). With --follow,\nkeep printing new calls until interrupted, reconnecting when mockpay restarts.", stderr).remote(getenv).readable()
	appID := fl.String("app", "", "only this app_id's (or partner's) calls")
	verdict := fl.String("verdict", "", "only accepted or rejected calls")
	follow := fl.Bool("follow", false, "keep printing new calls (with --json: one JSON object per line)")
	_, c, err := fl.start(args, 0, "")
	if err != nil {
		return err
	}
	switch *verdict {
	case "", "accepted", "rejected":
	default:
		return usageError{fmt.Sprintf("--verdict %q: use accepted or rejected", *verdict)}
	}
	f := controlapi.RequestFilter{AppID: *appID, Verdict: *verdict}
	if !*follow {
		got, err := c.Requests(ctx, f)
		if err != nil {
			return err
		}
		if fl.wantJSON() {
			return printJSON(stdout, c.raw)
		}
		for _, r := range got.Requests {
			fmt.Fprint(stdout, requestLines(r))
		}
		return nil
	}
	return followRequests(ctx, c, f, fl.wantJSON(), stdout, stderr)
}

// reconnectEvery is how often --follow tries again after mockpay went away.
const reconnectEvery = time.Second

// followRequests long-polls GET /requests?since=N&wait=30s and prints each
// entry once, until ctx ends (Ctrl-C, a normal exit). When mockpay goes away
// it says so once and tries again every second; a mockpay that came back
// has a new journal (another id), which is followed from its start.
func followRequests(ctx context.Context, c *apiClient, f controlapi.RequestFilter, asJSON bool, stdout, stderr io.Writer) error {
	fmt.Fprintf(stderr, "following platform requests at %s (Ctrl-C to stop)\n", c.Base)
	journalID, lost := "", false
	for {
		// The first call after a reconnect does not wait: a new mockpay's
		// journal must be noticed before its ids are waited on.
		f.Wait = followWait
		if lost {
			f.Wait = 0
		}
		got, err := c.Requests(ctx, f)
		if ctx.Err() != nil {
			return nil
		}
		var unreachable *controlapi.UnreachableError
		if errors.As(err, &unreachable) {
			if !lost {
				fmt.Fprintf(stderr, "lost %s (%v); reconnecting…\n", c.Base, unreachable.Err)
				lost = true
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(reconnectEvery):
			}
			continue
		}
		if err != nil {
			return err
		}
		if lost {
			fmt.Fprintf(stderr, "reconnected to %s\n", c.Base)
			lost = false
		}
		if journalID != "" && got.Journal != journalID {
			// Another process: its ids start again at 1.
			fmt.Fprintln(stderr, "mockpay restarted: following its new journal")
			journalID, f.Since = got.Journal, 0
			continue
		}
		journalID = got.Journal
		var raw struct {
			Requests []json.RawMessage `json:"requests"`
		}
		if err := json.Unmarshal(c.raw, &raw); err != nil || len(raw.Requests) != len(got.Requests) {
			return fmt.Errorf("requests: unexpected answer: %v", err)
		}
		for i, r := range got.Requests {
			if asJSON {
				fmt.Fprintf(stdout, "%s\n", raw.Requests[i])
			} else {
				fmt.Fprint(stdout, requestLines(r))
			}
		}
		f.Since = got.Next
	}
}

// requestLines is one journal entry as `mockpay logs` prints it: a line of
// wall time, virtual time, verdict, call and answer; a rejected one adds its
// code and message, and a bad signature its diagnosis and verified string.
func requestLines(r controlapi.Request) string {
	var b strings.Builder
	call := r.Method
	if call == "" {
		call = r.HTTP + " " + r.Path
	}
	app := r.AppID
	if app == "" {
		app = "-"
	}
	wall := r.Time
	if t, err := time.Parse(time.RFC3339Nano, r.Time); err == nil {
		wall = t.Local().Format("15:04:05.000")
	}
	fmt.Fprintf(&b, "%s  #%-4d  %s  %-8s  %-7s  %-18s  %s  HTTP %d %dms\n", wall, r.ID, dateTime(r.Virtual), r.Verdict, r.Surface, app, call, r.Status, r.LatencyMS)
	if r.Verdict == "rejected" && (r.Code != "" || r.SubCode != "") {
		code := strings.Trim(r.Code+" "+r.SubCode, " ")
		fmt.Fprintf(&b, "    %s: %s\n", code, oneLine(r.Message))
	}
	if d := r.Diagnosis; d != nil {
		fmt.Fprintf(&b, "    signature: %s (%s)\n", d.Summary, d.Cause)
		for _, l := range d.Details {
			fmt.Fprintf(&b, "      %s\n", oneLine(l))
		}
		fmt.Fprintf(&b, "    verified string: %s\n", oneLine(d.Canonical))
		if !signedWithMD5(d) {
			fmt.Fprintf(&b, "    check it offline: mockpay verify --public-key FILE '<the form>'\n")
		}
	}
	return b.String()
}

// signedWithMD5 reports whether a diagnosed request was a legacy MD5 one,
// which `mockpay verify` (RSA keys) does not check.
func signedWithMD5(d *controlapi.Diagnosis) bool {
	for _, p := range d.Params {
		if p.Key == "sign_type" {
			return p.Value == "MD5"
		}
	}
	return false
}

// oneLine keeps a value on its line: a journal value comes from a request.
func oneLine(s string) string {
	return strings.NewReplacer("\n", `\n`, "\r", `\r`).Replace(s)
}
