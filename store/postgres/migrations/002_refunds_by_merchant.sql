-- Refunds looked up by the merchant's refund number alone (WeChat Pay's
-- refund query names only out_refund_no, wechatpay-protocol.md §2.5); the
-- twin of SQLite's migration 011 on the WeChat Pay branches.
CREATE INDEX refunds_pid_out_request_no ON refunds (pid, out_request_no);
