-- Issue 9: the domain speaks no platform. A notification's Kind said
-- Alipay's notify_type (trade_status_sync, batch_refund_notify;
-- alipay-protocol.md §1.9, §3.2); it now says what happened (trade, refund,
-- batch_refund), and the Alipay channel names it on its wire again.
UPDATE notifications SET data = json_set(data, '$.Kind',
	CASE
		WHEN json_extract(data, '$.Kind') = 'batch_refund_notify' THEN 'batch_refund'
		WHEN json_extract(data, '$.Refund') IS NOT NULL THEN 'refund'
		ELSE 'trade'
	END)
	WHERE json_extract(data, '$.Kind') IN ('trade_status_sync', 'batch_refund_notify');
