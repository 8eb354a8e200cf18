-- Compare page: each chosen city's population, the sum over its districts only when every one
-- of them has a population (0 or blank is unknown); otherwise null, with the counts that say why.
with districts_ as (
    select city, case when population > 0 then population end as population
    from districts
    where list_contains($cities, city)
),
per_city as (
    select city, count(*) as districts_total, count(population) as districts_with_population,
           sum(population) as known_population
    from districts_
    group by city
),
final as (
    select c.city,
           case when p.districts_total > 0 and p.districts_with_population = p.districts_total
                then p.known_population end as population,
           coalesce(p.districts_total, 0) as districts_total,
           coalesce(p.districts_with_population, 0) as districts_with_population
    from (select unnest($cities::varchar[]) as city) c
    left join per_city p using (city)
)
select * from final order by city
