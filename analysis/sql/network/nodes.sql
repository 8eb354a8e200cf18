-- Network: the institutions that are party to at least one agreement under the shared filters (the nodes), each with `ix`, its 0-based rank by id, the same number network/pairs and network/pair_years give it.
with parties as (
    select distinct id
    from agreement_ends($year_from, $year_to, $cities, $kinds, $include_illustrative)
),
final as (
    select (row_number() over (order by i.id) - 1)::integer as ix, i.id, i.type, i.subtype,
           i.name_zh, i.name_en, i.city, i.district_code, d.name_zh as district_zh,
           d.name_en as district_en, i.lon, i.lat, coalesce(i.geo_precision, 'exact') as geo_precision,
           i.illustrative
    from institutions i
    join parties p using (id)
    left join districts d using (district_code)
)
select * from final order by ix
