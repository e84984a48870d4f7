# mockpay: an offline Alipay sandbox. go-sqlite3 needs cgo, so the binary is
# built against glibc and runs on distroless/base (glibc, no shell, no curl;
# the health check is the binary's own `mockpay healthcheck`).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The version the binary reports: `make docker` passes `git describe`
# (docker compose passes MOCKPAY_VERSION); without it, "dev".
ARG VERSION=dev
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/mockpay ./cmd/mockpay \
 && mkdir -p /out/data

FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/mockpay /usr/local/bin/mockpay
# /data holds the database and the local CA (mockpay-ca.pem, and its key
# 0600). It belongs to uid 65532 (distroless "nonroot"); for a bind mount,
# `chown 65532 ./data` or run with `user:` set to the directory's owner.
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
# Inside a container the sandbox must listen beyond loopback (the banner
# warns): MOCKPAY_HOST opens it, and PORT — 2088 unless a platform sets it
# — picks the port. Publish it on the host's loopback only: docker run -p
# 127.0.0.1:2088:2088 (docker-compose.yml does). MOCKPAY_TLS_ADDR serves
# HTTPS as well, on 443 for host aliases (docker-compose.yml).
ENV MOCKPAY_HOST=0.0.0.0 \
    PORT=2088 \
    MOCKPAY_DB=/data/mockpay.db
EXPOSE 2088 443
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/mockpay", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/mockpay"]
CMD ["serve"]
