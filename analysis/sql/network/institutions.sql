-- Network: every institution with its number `ix` (its rank by id, as network/pairs numbers the pairs), its district's names, and `selected`: whether the shared city and illustrative filters choose it (the institutions listed as without agreement are those selected that no pair holds).
with selected_ as (
    select id from filtered_institutions($cities, $include_illustrative)
),
final as (
    select i.ix, i.id, i.type, i.subtype, i.name_zh, i.name_en, i.city, i.district_code,
           d.name_zh as district_zh, d.name_en as district_en, i.lon, i.lat,
           coalesce(i.geo_precision, 'exact') as geo_precision, i.illustrative,
           i.id in (select id from selected_) as selected
    from institutions i
    left join districts d using (district_code)
)
select * from final order by ix
