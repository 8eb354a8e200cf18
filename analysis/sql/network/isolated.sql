-- Network: institutions of the selected cities with no agreement under the shared filters (counted and listed, not drawn). At most $limit rows; `total` counts them all.
with parties as (
    select distinct id
    from agreement_ends($year_from, $year_to, $cities, $kinds, $include_illustrative)
),
final as (
    select i.id, i.type, i.subtype, i.name_zh, i.name_en, i.city, i.district_code,
           d.name_zh as district_zh, d.name_en as district_en, i.illustrative,
           count(*) over () as total
    from filtered_institutions($cities, $include_illustrative) i
    left join districts d using (district_code)
    where i.id not in (select id from parties)
)
select * from final order by city, type, id limit $limit
