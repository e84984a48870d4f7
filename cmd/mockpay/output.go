package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mockpay/mockpay/controlapi"
)

// table starts a tab-aligned table with a header row; call Flush at the end.
func table(w io.Writer, header ...string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(header) > 0 {
		fmt.Fprintln(tw, strings.Join(header, "\t"))
	}
	return tw
}

func row(tw *tabwriter.Writer, cells ...string) {
	for i, c := range cells {
		if c == "" {
			cells[i] = "-"
		}
	}
	fmt.Fprintln(tw, strings.Join(cells, "\t"))
}

// printJSON writes what the API answered, as it answered it (--json).
func printJSON(w io.Writer, raw []byte) error {
	_, err := fmt.Fprintf(w, "%s\n", strings.TrimRight(string(raw), "\n"))
	return err
}

// stampLayout is how the API writes virtual times (RFC 3339, GMT+8).
const stampLayout = controlapi.TimeLayout

// dateTime shows an API time as Alipay writes times: 2026-05-01 10:00:00.
func dateTime(stamp string) string {
	t, err := time.Parse(stampLayout, stamp)
	if err != nil {
		return stamp
	}
	return t.Format("2006-01-02 15:04:05")
}

// clockTime shows an API time as 10:04:00, with the date when it is not
// the same day as ref (another API time; "" for none).
func clockTime(stamp, ref string) string {
	t, err := time.Parse(stampLayout, stamp)
	if err != nil {
		return stamp
	}
	if r, err := time.Parse(stampLayout, ref); err == nil && r.Format("20060102") != t.Format("20060102") {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("15:04:05")
}
