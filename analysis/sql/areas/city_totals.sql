-- Map: totals per selected city, including institutions known only to city level (drawn at the city centre, counted here but in no district). An agreement touches a city once, even when both parties are in it.
with cities_ as (
    select unnest($cities) as city
),
inst as (
    select * from city_institutions($cities, $include_illustrative)
),
agr as (
    select city, sum(n) as agreements, coalesce(sum(n) filter (where city_level), 0) as city_level_agreements
    from city_touches($year_from, $year_to, $cities, $kinds, $include_illustrative)
    group by city
),
final as (
    select c.city,
           coalesce(i.institutions, 0)::bigint as institutions,
           coalesce(i.bases, 0)::bigint as bases,
           coalesce(i.schools, 0)::bigint as schools,
           coalesce(i.city_level_institutions, 0)::bigint as city_level_institutions,
           coalesce(a.agreements, 0)::bigint as agreements,
           coalesce(a.city_level_agreements, 0)::bigint as city_level_agreements
    from cities_ c
    left join inst i using (city)
    left join agr a using (city)
)
select * from final order by city
