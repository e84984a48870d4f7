package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/mockpay/mockpay/controlapi"
)

// defaultServer is where client commands find mockpay: serve's default.
const defaultServer = "http://" + defaultAddr

// apiClient is the control API's typed client, keeping the last answer as
// the server sent it for --json.
type apiClient struct {
	*controlapi.Client
	raw []byte
}

func newAPIClient(server string) (*apiClient, error) {
	if !strings.Contains(server, "://") {
		server = "http://" + server
	}
	u, err := url.Parse(server)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, usageError{fmt.Sprintf("--server %q is not a URL such as %s", server, defaultServer)}
	}
	// No client timeout (controlapi.New has none): long polls
	// (notifications --follow) last up to their wait, and every call runs
	// under the command's context.
	c := &apiClient{Client: controlapi.New(server)}
	c.Answered = func(raw []byte) { c.raw = raw }
	return c, nil
}

// explain adds what to do to the client's errors that mean "no mockpay
// there": a refused connection is almost always a mockpay not started
// yet. An error the API answered prints as "mockpay: <code>: <message>".
func explain(err error) error {
	var unreachable *controlapi.UnreachableError
	var notAPI *controlapi.NotAPIError
	switch {
	case errors.As(err, &unreachable) && unreachable.Refused():
		return fmt.Errorf("%w: start one with `mockpay serve` (or `docker compose up -d`), or point --server / MOCKPAY_URL at it", err)
	case errors.As(err, &notAPI):
		return fmt.Errorf("%w: is --server a mockpay?", err)
	}
	return err
}
