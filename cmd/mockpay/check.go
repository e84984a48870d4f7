package main

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"

	"github.com/mockpay/mockpay/controlapi"
)

// checkCmd runs the hardening suite against a shop's notify endpoint and
// exits 1 when a check fails; --junit writes the report for CI.
func checkCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("check --notify-url URL --app ID [--junit FILE] [flags]",
		"Send the shop's notify endpoint the notifications of one of its paid trades, genuine and broken: genuine, duplicate\n"+
			"(sequential, simultaneous), forged, unsigned, tampered, wrong key, out of order, stale, oversized. Print what a correct shop\n"+
			"does and what this one did; exit status 1 when a check fails. mockpay (the server) sends them: the URL is as it reaches the shop.", stderr).remote(getenv).readable()
	notifyURL := fl.String("notify-url", "", "the shop's notify endpoint (required)")
	appID := fl.String("app", "", "the app_id (or MAPI partner) the shop is (required)")
	tradeNo := fl.String("trade", "", "the paid trade_no to use (default: the app's latest paid trade)")
	outTradeNo := fl.String("out-trade-no", "", "the paid trade to use, by the shop's out_trade_no")
	junit := fl.String("junit", "", "also write the report as JUnit XML to this file")
	_, c, err := fl.start(args, 0, "")
	if err != nil {
		return err
	}
	if *notifyURL == "" || *appID == "" {
		fl.Usage()
		return usageError{"check needs --notify-url and --app"}
	}
	rep, err := c.Check(ctx, controlapi.CheckRequest{NotifyURL: *notifyURL, AppID: *appID, TradeNo: *tradeNo, OutTradeNo: *outTradeNo})
	if err != nil {
		return err
	}
	if *junit != "" {
		if err := writeJUnit(*junit, rep); err != nil {
			return err
		}
	}
	if err := fl.show(stdout, c.raw, func() error { return printCheck(stdout, rep) }); err != nil {
		return err
	}
	if !rep.Passed {
		return fmt.Errorf("%d of %d checks failed against %s", failedChecks(rep), len(rep.Checks), rep.NotifyURL)
	}
	return nil
}

func failedChecks(rep controlapi.CheckReport) int {
	n := 0
	for _, c := range rep.Checks {
		if !c.Passed {
			n++
		}
	}
	return n
}

func printCheck(w io.Writer, rep controlapi.CheckReport) error {
	fmt.Fprintf(w, "mockpay check %s (app %s, trade %s / %s)\n\n", rep.NotifyURL, rep.AppID, rep.TradeNo, rep.OutTradeNo)
	for _, c := range rep.Checks {
		mark := "PASS"
		switch {
		case !c.Passed:
			mark = "FAIL"
		case c.Skipped:
			mark = "SKIP"
		}
		fmt.Fprintf(w, "%s  %s\n      expected: %s\n      got:      %s\n", mark, c.Name, c.Expected, c.Got)
	}
	skipped := 0
	for _, c := range rep.Checks {
		if c.Skipped {
			skipped++
		}
	}
	fmt.Fprintf(w, "\n%d passed, %d failed, %d skipped\n", len(rep.Checks)-failedChecks(rep)-skipped, failedChecks(rep), skipped)
	return nil
}

// JUnit XML as CI servers read it (Jenkins, GitLab, GitHub actions'
// reporters): one testsuite, a testcase per check, a failure element for a
// failed one.
type junitSuite struct {
	XMLName  xml.Name    `xml:"testsuite"`
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	Out       string        `xml:"system-out,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func writeJUnit(path string, rep controlapi.CheckReport) error {
	s := junitSuite{Name: "mockpay check " + rep.NotifyURL, Tests: len(rep.Checks), Failures: failedChecks(rep)}
	var total int64
	for _, c := range rep.Checks {
		total += c.MS
		tc := junitCase{Name: c.Name, Classname: "mockpay.check." + rep.AppID, Time: seconds(c.MS),
			Out: "expected: " + c.Expected + "\ngot: " + c.Got}
		if c.Skipped {
			s.Skipped++
			tc.Skipped = &junitSkipped{Message: c.Got}
		}
		if !c.Passed {
			tc.Failure = &junitFailure{Message: "expected: " + c.Expected, Type: "mockpay.check",
				Text: "expected: " + c.Expected + "\ngot: " + c.Got + "\nrequest: " + c.Request}
		}
		s.Cases = append(s.Cases, tc)
	}
	s.Time = seconds(total)
	b, err := xml.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(xml.Header), append(b, '\n')...), 0o644)
}

func seconds(ms int64) string { return fmt.Sprintf("%.3f", float64(ms)/1000) }
