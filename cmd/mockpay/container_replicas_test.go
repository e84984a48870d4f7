package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestReplicasComposeSharesOneDatabaseBehindOnePort reads
// docker-compose.replicas.yml and its nginx configuration (no Docker
// engine here to run them): three replicas on the one PostgreSQL database
// with one CA, each health-checked, behind a balancer that alone publishes,
// on the host's loopback only, and that lists every replica.
func TestReplicasComposeSharesOneDatabaseBehindOnePort(t *testing.T) {
	compose := readRepoFile(t, "docker-compose.replicas.yml")
	nginx := readRepoFile(t, "deploy/nginx-replicas.conf")
	for _, want := range []string{
		`MOCKPAY_DB: "postgres://`, `MOCKPAY_CA_CERT:`, `MOCKPAY_CA_KEY:`, "image: postgres:", "image: nginx:",
		"condition: service_healthy", "condition: service_completed_successfully", "pg_isready",
		"mockpay-1: *mockpay", "mockpay-2: *mockpay", "mockpay-3: *mockpay",
	} {
		if !strings.Contains(compose, want) {
			t.Errorf("docker-compose.replicas.yml lacks %q", want)
		}
	}
	if n := strings.Count(compose, "healthcheck:"); n < 3 { // the replicas' anchor, postgres, the balancer
		t.Errorf("%d health checks in docker-compose.replicas.yml, want the replicas', postgres' and the balancer's", n)
	}
	published := regexp.MustCompile(`(?m)^\s+- "([^"]*:\d+)"\s*$`).FindAllStringSubmatch(compose, -1)
	if len(published) == 0 {
		t.Fatal("docker-compose.replicas.yml publishes no port")
	}
	for _, p := range published {
		if !strings.HasPrefix(p[1], "127.0.0.1:") {
			t.Errorf("docker-compose.replicas.yml publishes %s beyond the host's loopback", p[1])
		}
	}
	if strings.Count(compose, "ports:") != 1 {
		t.Error("more than the balancer publishes a port")
	}
	for _, r := range []string{"mockpay-1", "mockpay-2", "mockpay-3"} {
		for _, port := range []string{":2088", ":443"} {
			if !strings.Contains(nginx, "server "+r+port) {
				t.Errorf("deploy/nginx-replicas.conf does not balance onto %s%s", r, port)
			}
		}
	}
	if !strings.Contains(nginx, "stream {") {
		t.Error("deploy/nginx-replicas.conf is not a TCP (stream) balancer: CONNECT and HTTPS would not pass")
	}
}
