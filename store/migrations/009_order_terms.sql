-- Issue 9: what only a MAPI order says (price × quantity, payment_type,
-- show_url, the plain product's NoRefund; alipay-protocol.md §1.3) belongs
-- to the Alipay channel. The order's Legacy terms move under Terms.alipay,
-- where channel/alipay/mapi reads them under the same names, in trades,
-- in checkouts' orders and in the trade each notification embeds; the
-- empty Legacy every other order stored goes.
UPDATE trades SET data = json_set(data, '$.Terms.alipay', json_extract(data, '$.Legacy'))
	WHERE json_type(data, '$.Legacy') = 'object' AND json_extract(data, '$.Legacy') != '{}';
UPDATE trades SET data = json_remove(data, '$.Legacy')
	WHERE json_type(data, '$.Legacy') IS NOT NULL;
UPDATE checkouts SET data = json_set(data, '$.Order.Terms.alipay', json_extract(data, '$.Order.Legacy'))
	WHERE json_type(data, '$.Order.Legacy') = 'object' AND json_extract(data, '$.Order.Legacy') != '{}';
UPDATE checkouts SET data = json_remove(data, '$.Order.Legacy')
	WHERE json_type(data, '$.Order.Legacy') IS NOT NULL;
UPDATE notifications SET data = json_set(data, '$.Trade.Terms.alipay', json_extract(data, '$.Trade.Legacy'))
	WHERE json_type(data, '$.Trade.Legacy') = 'object' AND json_extract(data, '$.Trade.Legacy') != '{}';
UPDATE notifications SET data = json_remove(data, '$.Trade.Legacy')
	WHERE json_type(data, '$.Trade.Legacy') IS NOT NULL;
