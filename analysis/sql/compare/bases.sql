-- Compare page partner finder: the bases to pick from, busiest first (the first is the default).
with agr as (
    select party_a_id, party_b_id
    from filtered_agreements($year_from, $year_to, $cities, $kinds, $include_illustrative)
),
counts as (
    select id, count(*) as agreements
    from (select party_a_id as id from agr union all select party_b_id from agr)
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
