-- Network: institutions of the selected cities with no agreement under the shared filters (counted and listed, not drawn). At most $limit rows; `total` counts them all.
with agreements_ as (
    select party_a_id, party_b_id
    from filtered_agreements($year_from, $year_to, $cities, $kinds, $include_illustrative)
),
parties as (
    select party_a_id as id from agreements_
    union
    select party_b_id from agreements_
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
