package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/mockpay/mockpay/notify"
)

// notifyRewrites is --notify-host-rewrite from=to, repeated or
// comma-separated. Given at all, the flags replace
// MOCKPAY_NOTIFY_HOST_REWRITE (the compose file's setting) rather than add
// to it, so a command line can always say exactly what is rewritten.
type notifyRewrites struct {
	specs []string
}

func (n *notifyRewrites) String() string { return strings.Join(n.specs, ",") }

func (n *notifyRewrites) Set(v string) error {
	if _, err := parseRewrites(v); err != nil {
		return err
	}
	n.specs = append(n.specs, v)
	return nil
}

// resolve is the flags' rewrites, or the environment's when no flag was
// given; a bad value is a usage error naming where it came from.
func (n *notifyRewrites) resolve(getenv func(string) string) (notify.HostRewrites, error) {
	src, specs := "--notify-host-rewrite", strings.Join(n.specs, ",")
	if len(n.specs) == 0 {
		src, specs = "MOCKPAY_NOTIFY_HOST_REWRITE", getenv("MOCKPAY_NOTIFY_HOST_REWRITE")
	}
	r, err := parseRewrites(specs)
	if err != nil {
		return nil, usageError{fmt.Sprintf("%s: %v", src, err)}
	}
	return r, nil
}

// parseRewrites reads comma-separated from=to pairs; empty items are
// skipped, so a trailing comma is harmless.
func parseRewrites(v string) (notify.HostRewrites, error) {
	r := notify.HostRewrites{}
	for _, spec := range strings.Split(v, ",") {
		if strings.TrimSpace(spec) == "" {
			continue
		}
		if err := r.Add(spec); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// describeRewrites is the banner's line: "localhost → host.docker.internal".
func describeRewrites(r notify.HostRewrites) string {
	var parts []string
	for _, from := range slices.Sorted(maps.Keys(r)) {
		parts = append(parts, from+" → "+r[from])
	}
	return strings.Join(parts, ", ")
}
