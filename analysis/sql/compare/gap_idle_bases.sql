-- Compare page gap: bases with no agreement of any selected kind in the selected years.
with signed as (
    select distinct id
    from filtered_institution_counts($year_from, $year_to, $cities, $kinds, $include_illustrative)
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
