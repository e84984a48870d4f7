package main

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestContainerFilesKeepTheSandboxOffTheNetwork reads the Dockerfile and
// docker-compose.yml (there is no Docker engine to run them here): the
// container listens on its own interfaces through MOCKPAY_HOST, PORT picks
// the port, compose publishes on the host's loopback only and lets the
// container reach the host (host-gateway), and the build context leaves out
// node_modules.
func TestContainerFilesKeepTheSandboxOffTheNetwork(t *testing.T) {
	compose := readRepoFile(t, "docker-compose.yml")
	dockerfile := readRepoFile(t, "Dockerfile")
	for _, port := range []string{"2088:2088", "8443:443"} {
		if !regexp.MustCompile(`(?m)^\s+- "127\.0\.0\.1:` + port + `"\s*$`).MatchString(compose) {
			t.Errorf("docker-compose.yml does not publish %s on 127.0.0.1 only:\n%s", port, compose)
		}
	}
	if regexp.MustCompile(`(?m)^\s+- "?(0\.0\.0\.0:)?\d+:\d+"?\s*$`).MatchString(compose) {
		t.Error("docker-compose.yml publishes a port on every host interface")
	}
	if !strings.Contains(compose, `"host.docker.internal:host-gateway"`) {
		t.Error("docker-compose.yml has no extra_hosts host.docker.internal:host-gateway")
	}
	for _, alias := range []string{"openapi.alipay.com", "api.mch.weixin.qq.com"} {
		if !regexp.MustCompile(`(?m)^\s+- ` + regexp.QuoteMeta(alias) + `\s*$`).MatchString(compose) {
			t.Errorf("docker-compose.yml has no network alias %s", alias)
		}
	}
	if regexp.MustCompile(`(?m)^ARG VERSION=docker`).MatchString(dockerfile) {
		t.Error("the image reports the version \"docker\"")
	}
	for name, text := range map[string]string{"docker-compose.yml": compose, "Dockerfile": dockerfile} {
		env := imageEnv(text)
		if env["MOCKPAY_ADDR"] != "" {
			t.Errorf("%s sets MOCKPAY_ADDR, which would override a platform's PORT", name)
		}
		if got := listenAddr("", envFunc(env)); got != "0.0.0.0:2088" {
			t.Errorf("%s: its environment makes serve listen on %s, want 0.0.0.0:2088", name, got)
		}
		env["PORT"] = "10000" // as a platform sets it
		if got := listenAddr("", envFunc(env)); got != "0.0.0.0:10000" {
			t.Errorf("%s with PORT=10000: serve listens on %s", name, got)
		}
	}
	ignore := readRepoFile(t, ".dockerignore")
	if !regexp.MustCompile(`(?m)^\*\*/node_modules$`).MatchString(ignore) {
		t.Errorf(".dockerignore keeps some node_modules in the build context:\n%s", ignore)
	}
}

// TestServeWithTheImageEnvironment runs serve with the Dockerfile's ENV
// (the port made free, the data directory a temporary one): it listens
// beyond loopback, says so, and keeps the CA beside the database.
func TestServeWithTheImageEnvironment(t *testing.T) {
	env := imageEnv(readRepoFile(t, "Dockerfile"))
	data := t.TempDir()
	env["PORT"] = "0"
	env["MOCKPAY_DB"] = filepath.Join(data, filepath.Base(env["MOCKPAY_DB"]))
	base, out, stop := serveInProcess(t, nil, env)
	defer stop()
	if !strings.Contains(out.String(), "(NOT loopback)") {
		t.Errorf("banner:\n%s", out.String())
	}
	resp, err := http.Get(base + "/_mockpay/ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("ca.pem: %d", resp.StatusCode)
	}
	for _, f := range []string{"mockpay.db", "mockpay-ca.pem", "mockpay-ca-key.pem"} {
		if _, err := os.Stat(filepath.Join(data, f)); err != nil {
			t.Errorf("the data volume lacks %s: %v", f, err)
		}
	}
}

// imageEnv reads the MOCKPAY_* and PORT settings of a Dockerfile's ENV or a
// compose file's environment.
func imageEnv(text string) map[string]string {
	env := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)\b(MOCKPAY_[A-Z_]+|PORT)[=:]\s*"?([^"\s\\]+)`).FindAllStringSubmatch(text, -1) {
		if _, seen := env[m[1]]; !seen {
			env[m[1]] = m[2]
		}
	}
	return env
}

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../../" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
