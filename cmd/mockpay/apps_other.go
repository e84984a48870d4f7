package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mockpay/mockpay/controlapi"
)

// unsigned: an app of another platform that names no sign_type or pid
// (a WeChat Pay merchant signs with its certificate's key), listed apart
// from the apps table.
func unsigned(e controlapi.AppEntry) bool {
	return e.Other != nil && e.Other["sign_type"] == ""
}

// showOthers lists those apps after the partners, by app_id and protocol.
func showOthers(w io.Writer, list []controlapi.AppEntry) error {
	var others []map[string]string
	for _, e := range list {
		if unsigned(e) {
			others = append(others, e.Other)
		}
	}
	if len(others) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	tw := table(w, "APP_ID", "PROTOCOL")
	for _, o := range others {
		row(tw, o["app_id"], o["protocol"])
	}
	return tw.Flush()
}

// printOther prints another platform's app field by field, as the API
// names them (the names its SDKs' set-up code uses); a PEM on its lines.
func printOther(w io.Writer, fields map[string]string) {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if v := fields[k]; strings.Contains(v, "\n") {
			fmt.Fprintf(w, "\n%s:\n%s\n", k, strings.TrimRight(v, "\n"))
		} else {
			fmt.Fprintf(w, "%s: %s\n", k, v)
		}
	}
}
