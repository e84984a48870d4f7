-- Issue 9: the domain's trade states speak no platform. What migration 1-4
-- stored in Alipay's words (WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_FINISHED,
-- TRADE_CLOSED; alipay-protocol.md §4.1) becomes pending, paid, finished and
-- closed: in the status columns, in the trades' JSON and in the trade each
-- notification carries. The Alipay channel names them again on its wire.
CREATE TEMP TABLE status_names (alipay TEXT PRIMARY KEY, neutral TEXT NOT NULL);
INSERT INTO status_names VALUES
	('WAIT_BUYER_PAY', 'pending'), ('TRADE_SUCCESS', 'paid'), ('TRADE_FINISHED', 'finished'), ('TRADE_CLOSED', 'closed');

UPDATE trades SET
	status = (SELECT neutral FROM status_names WHERE alipay = trades.status),
	data = json_set(data, '$.Status', (SELECT neutral FROM status_names WHERE alipay = trades.status))
	WHERE status IN (SELECT alipay FROM status_names);
UPDATE trade_events SET status = (SELECT neutral FROM status_names WHERE alipay = trade_events.status)
	WHERE status IN (SELECT alipay FROM status_names);
UPDATE notifications SET
	data = json_set(data, '$.Trade.Status', (SELECT neutral FROM status_names WHERE alipay = json_extract(notifications.data, '$.Trade.Status')))
	WHERE json_extract(data, '$.Trade.Status') IN (SELECT alipay FROM status_names);
DROP TABLE status_names;
