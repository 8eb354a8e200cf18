-- Compare page partner finder: the bases to pick from, busiest first (the first is the default).
with counts as (
    select id, sum(agreements)::bigint as agreements
    from filtered_institution_counts($year_from, $year_to, $cities, $kinds, $include_illustrative)
    group by id
),
final as (
    select i.id as base_id, i.name_zh, i.name_en, i.city, coalesce(c.agreements, 0) as agreements
    from filtered_institutions($cities, $include_illustrative) i
    left join counts c using (id)
    where i.type = 'base'
)
select * from final
order by agreements desc, base_id
