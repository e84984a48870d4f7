package main

import (
	"context"
	"io"
)

// openapiCmd prints the control API's OpenAPI document as the running
// mockpay serves it (GET /_mockpay/api/openapi.json), for code generators.
func openapiCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("openapi [flags]", "Print the running mockpay's control API document (OpenAPI 3, JSON), e.g. for a client generator.", stderr).remote(getenv)
	_, c, err := fl.start(args, 0, "")
	if err != nil {
		return err
	}
	if _, err := c.OpenAPI(ctx); err != nil {
		return err
	}
	return printJSON(stdout, c.raw)
}
