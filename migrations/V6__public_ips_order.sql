-- V5 filled `instances.public_ips` of existing rows ordering each address by the smallest
-- source and the smallest position it had, taken separately: an address that `public_ip`
-- repeats from late in `public_ips` could come first, unlike what the decoder stores. The
-- rows V5 filled are filled again, each address placed where it first appears
-- (`public_ips` in the API's order, then the legacy `public_ip`). Rows written by a sync
-- since then already hold the decoder's order, which this reproduces.
UPDATE instances
   SET public_ips = (
       SELECT json_group_array(address ORDER BY first)
         FROM (SELECT json_extract(value, '$.address') AS address,
                      min(source * 1000000 + position) AS first
                 FROM (SELECT value, 0 AS source, CAST(key AS INTEGER) AS position
                         FROM json_each(instances.raw, '$.public_ips')
                        WHERE json_type(instances.raw, '$.public_ips') = 'array'
                       UNION ALL
                       SELECT json_extract(instances.raw, '$.public_ip'), 1, 0
                        WHERE json_type(instances.raw, '$.public_ip') = 'object')
                WHERE coalesce(json_extract(value, '$.address'), '') <> ''
                GROUP BY address))
 WHERE json_valid(raw)
   AND (json_type(raw, '$.public_ips') = 'array'
        OR json_type(raw, '$.public_ip') = 'object');
