-- Map: institutions known only to city level (no district), one group per city drawn at the city centre, with the group's partners and agreements under the shared filters.
with inst as (
    select id, type, city, lon, lat, illustrative
    from filtered_institutions($cities, $include_illustrative)
    where district_code is null
),
group_links as (
    select i.city, e.agreement_id, e.partner
    from agreement_ends($year_from, $year_to, $cities, $kinds, $include_illustrative) e
    join inst i using (id)
),
stats as (
    select city, count(distinct partner) as partners, count(distinct agreement_id) as agreements
    from group_links
    group by city
),
groups as (
    select city, avg(lon) as lon, avg(lat) as lat,
           count(*) as institutions,
           count(*) filter (where type = 'base') as bases,
           count(*) filter (where type = 'school') as schools,
           count(*) filter (where illustrative) as illustrative_institutions
    from inst
    group by city
),
final as (
    select g.city, g.lon, g.lat, g.institutions::bigint as institutions, g.bases::bigint as bases,
           g.schools::bigint as schools, g.illustrative_institutions::bigint as illustrative_institutions,
           coalesce(s.partners, 0)::bigint as partners,
           coalesce(s.agreements, 0)::bigint as agreements
    from groups g
    left join stats s using (city)
)
select * from final order by city
