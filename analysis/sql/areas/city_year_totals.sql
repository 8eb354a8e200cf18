-- Per selected city and each year from $year_from to $year_to (zeros included): institutions
-- (bases, schools), of which known only to city level (drawn at the city centre, counted here
-- but in no district), and agreements touching the city (of which with such a party). The
-- compare page's trends, and summed over the years, metrics.city_totals (map, compare,
-- presenter). Institutions do not depend on the year; an agreement touches a city once, even
-- when both parties are in it.
with cities_ as (
    select unnest($cities) as city
),
years_ as (
    select unnest(range($year_from::bigint, $year_to::bigint + 1)) as year
),
inst as (
    select * from city_institutions($cities, $include_illustrative)
),
agr as (
    select year, city, sum(n) as agreements, coalesce(sum(n) filter (where city_level), 0) as city_level_agreements
    from city_touches($year_from, $year_to, $cities, $kinds, $include_illustrative)
    group by year, city
),
final as (
    select c.city, y.year::integer as year,
           coalesce(i.institutions, 0)::bigint as institutions,
           coalesce(i.bases, 0)::bigint as bases,
           coalesce(i.schools, 0)::bigint as schools,
           coalesce(i.city_level_institutions, 0)::bigint as city_level_institutions,
           coalesce(a.agreements, 0)::bigint as agreements,
           coalesce(a.city_level_agreements, 0)::bigint as city_level_agreements
    from cities_ c
    cross join years_ y
    left join inst i using (city)
    left join agr a on a.city = c.city and a.year = y.year
)
select * from final order by year, city
