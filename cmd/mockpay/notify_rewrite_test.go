package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// Bad rewrites, from the flag or the environment, are usage errors that
// name their source; good ones are in effect and in the banner; a flag
// replaces the environment's list.
func TestNotifyHostRewriteFlagAndEnv(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--notify-host-rewrite", "localhost"}, nil, "want from=to"},
		{[]string{"--notify-host-rewrite", "localhost=host.docker.internal:8080"}, nil, "not a host name"},
		{[]string{"--notify-host-rewrite", "a.test=b.test", "--notify-host-rewrite", "a.test=c.test"}, nil, "already rewritten"},
		{nil, map[string]string{"MOCKPAY_NOTIFY_HOST_REWRITE": "localhost=host.docker.internal,=x"}, "MOCKPAY_NOTIFY_HOST_REWRITE"},
	} {
		var out bytes.Buffer
		args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", ":memory:"}, c.args...)
		err := run(context.Background(), args, envFunc(c.env), &out, &out)
		var u usageError
		if !errors.As(err, &u) || exitCode(err) != 2 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("serve %q with %v: %v, want a usage error saying %q", c.args, c.env, err, c.want)
		}
	}

	env := map[string]string{"MOCKPAY_NOTIFY_HOST_REWRITE": "localhost=host.docker.internal, shop.test=127.0.0.1"}
	_, out, stop := serveInProcess(t, []string{"--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "m.db")}, env)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "notify:    localhost → host.docker.internal, shop.test → 127.0.0.1") {
		t.Errorf("banner without the environment's rewrites:\n%s", out)
	}
	_, out, stop = serveInProcess(t, []string{"--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "m.db"), "--notify-host-rewrite", "localhost=mockpay-shop"}, env)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "notify:    localhost → mockpay-shop (--notify-host-rewrite)\n") {
		t.Errorf("the flag does not replace the environment's rewrites:\n%s", out)
	}
}
