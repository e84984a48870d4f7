-- Issue 9: an app's platform-only material belongs to its channel. The
-- certificates of an Alipay cert-mode app (Cert) and the terms of a MAPI
-- partner (Legacy) move under Credentials.alipay, where the Alipay channel
-- reads them under the same names; the protocol a partner speaks, which
-- the domain derived from Legacy, is stored (Protocol; OpenAPI is "").
UPDATE apps SET data = json_set(data, '$.Protocol', 'legacy')
	WHERE json_type(data, '$.Legacy') = 'object';
UPDATE apps SET data = json_remove(json_set(data, '$.Credentials.alipay.Cert', json_extract(data, '$.Cert')), '$.Cert')
	WHERE json_type(data, '$.Cert') = 'object';
UPDATE apps SET data = json_remove(json_set(data, '$.Credentials.alipay.Legacy', json_extract(data, '$.Legacy')), '$.Legacy')
	WHERE json_type(data, '$.Legacy') = 'object';
UPDATE apps SET data = json_remove(data, '$.Cert', '$.Legacy')
	WHERE json_type(data, '$.Cert') = 'null' OR json_type(data, '$.Legacy') = 'null';
