package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// commandOf is the CLI command that makes each control-API call, by the
// call's operationId in server/api/openapi.json. A new operation without a
// row here fails TestEveryOperationHasACommand, so none is forgotten.
var commandOf = map[string]string{
	"getOpenAPI":             "openapi",
	"listApps":               "apps",
	"createApp":              "apps create",
	"getApp":                 "apps show",
	"actOnOrder":             "pay --app --out-trade-no",
	"listTrades":             "trades",
	"triggerTrade":           "trigger",
	"waitTrade":              "wait trade",
	"getTrade":               "trades show",
	"listTradeRefunds":       "trades refunds",
	"failRefund":             "refunds fail",
	"closeRefund":            "refunds close",
	"listTradeNotifications": "send --trade",
	"actOnTrade":             "pay",
	"listNotifications":      "notifications",
	"waitNotification":       "wait notification",
	"getNotification":        "notifications show",
	"redeliverNotification":  "redeliver",
	"listAttempts":           "notifications --follow",
	"listRequests":           "logs",
	"getClock":               "clock",
	"advanceClock":           "clock advance",
	"reset":                  "reset",
	"appPay":                 "app-pay",
	"getAppCerts":            "certs list",
	"getAppCertFile":         "certs get",
	"listFaults":             "faults",
	"getAppFaults":           "faults show",
	"setAppFaults":           "faults set",
	"listVerdicts":           "verdicts",
	"runCheck":               "check",
	"sendNotification":       "send",
}

// TestEveryOperationHasACommand walks openapi.json: every operationId has
// a command in commandOf, every row is a live operation, and each command
// exists: "mockpay <words> -h" exits 0 with a usage line naming every word
// (a subcommand or flag the command does not know would not be there).
func TestEveryOperationHasACommand(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "server", "api", "openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var ops []string
	for path, methods := range doc.Paths {
		for method, op := range methods {
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", strings.ToUpper(method), path)
				continue
			}
			ops = append(ops, op.OperationID)
		}
	}
	if len(ops) < 20 {
		t.Fatalf("read only %d operations from openapi.json", len(ops))
	}
	for _, op := range ops {
		if _, ok := commandOf[op]; !ok {
			t.Errorf("operation %s has no CLI command: add one to cmd/mockpay and a row to commandOf", op)
		}
	}
	for op, cmd := range commandOf {
		if !slices.Contains(ops, op) {
			t.Errorf("commandOf names %s (%s), which openapi.json no longer has", op, cmd)
			continue
		}
		words := strings.Fields(cmd)
		if c, ok := lookup(words[0]); !ok || c.run == nil {
			t.Errorf("%s: no command %q", op, words[0])
			continue
		}
		var sub []string // the subcommand words, without flags
		for _, w := range words {
			if !strings.HasPrefix(w, "-") {
				sub = append(sub, w)
			}
		}
		var out bytes.Buffer
		if err := run(context.Background(), append(sub, "-h"), envFunc(nil), &out, &out); err != nil {
			t.Errorf("%s: mockpay %s -h: %v\n%s", op, strings.Join(sub, " "), err, out.String())
			continue
		}
		help := out.String()
		first, _, _ := strings.Cut(help, "\n")
		for _, w := range words {
			shown := strings.Contains(first, w) // a subcommand is in the synopsis
			if strings.HasPrefix(w, "-") {      // a flag is in the flag list
				flagLine := "\n  -" + strings.TrimLeft(w, "-")
				shown = strings.Contains(help, flagLine+" ") || strings.Contains(help, flagLine+"\n")
			}
			if !shown {
				t.Errorf("%s: mockpay %s -h does not show %q:\n%s", op, strings.Join(sub, " "), w, help)
			}
		}
	}
}
