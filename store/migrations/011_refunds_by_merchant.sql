-- Refunds looked up by the merchant's refund number alone (WeChat Pay's
-- refund query names only out_refund_no, wechatpay-protocol.md §2.5).
CREATE INDEX refunds_pid_out_request_no ON refunds (pid, out_request_no);
