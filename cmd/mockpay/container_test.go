package main

import (
	"os"
	"regexp"
	"testing"
)

// TestContainerFilesKeepTheSandboxOffTheNetwork reads the Dockerfile and
// docker-compose.yml (there is no Docker engine to run them here): the
// container listens on its own interfaces explicitly, through MOCKPAY_ADDR,
// which serve honours (TestServeBeyondLoopbackWarns runs it with that
// env), while compose publishes the port on the host's loopback only.
func TestContainerFilesKeepTheSandboxOffTheNetwork(t *testing.T) {
	compose := readRepoFile(t, "docker-compose.yml")
	dockerfile := readRepoFile(t, "Dockerfile")
	if !regexp.MustCompile(`(?m)^\s+- "127\.0\.0\.1:2088:2088"\s*$`).MatchString(compose) {
		t.Errorf("docker-compose.yml does not publish 2088 on 127.0.0.1 only:\n%s", compose)
	}
	if regexp.MustCompile(`(?m)^\s+- "?(0\.0\.0\.0:)?2088:2088"?\s*$`).MatchString(compose) {
		t.Error("docker-compose.yml publishes 2088 on every host interface")
	}
	for name, text := range map[string]string{"docker-compose.yml": compose, "Dockerfile": dockerfile} {
		m := regexp.MustCompile(`MOCKPAY_ADDR[=:]\s*"?([^"\s\\]+)`).FindStringSubmatch(text)
		if m == nil {
			t.Errorf("%s does not set MOCKPAY_ADDR", name)
			continue
		}
		if got := listenAddr("", envFunc(map[string]string{"MOCKPAY_ADDR": m[1], "PORT": "9999"})); got != "0.0.0.0:2088" {
			t.Errorf("%s: MOCKPAY_ADDR=%s makes serve listen on %s, want 0.0.0.0:2088 inside the container", name, m[1], got)
		}
	}
}

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../../" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
