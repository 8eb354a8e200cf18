-- Compare page gap: bases with no agreement of any selected kind in the selected years.
with agr as (
    select party_a_id, party_b_id
    from filtered_agreements($year_from, $year_to, $cities, $kinds, $include_illustrative)
),
signed as (
    select party_a_id as id from agr
    union
    select party_b_id from agr
),
final as (
    select i.id as base_id, i.name_zh, i.name_en, i.subtype as category, i.level, i.city,
           i.district_code, d.name_zh as district_zh, d.name_en as district_en,
           i.designated_year, i.geo_precision, i.provenance, i.illustrative
    from filtered_institutions($cities, $include_illustrative) i
    left join districts d using (district_code)
    where i.type = 'base' and i.id not in (select id from signed)
)
select * from final
order by city not in ('Chengdu', 'Chongqing'), city, base_id
