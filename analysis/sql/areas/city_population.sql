-- Compare page: each chosen city's population from cities.csv (0 or blank is unknown; never
-- summed from districts, which leave some unknown), with how many of its districts have one.
with cities_ as (
    select city, case when population > 0 then population end as population, population_year
    from cities
),
per_city as (
    select city, count(*) as districts_total,
           count(*) filter (where population > 0) as districts_with_population
    from districts
    group by city
),
final as (
    select c.city, k.population, k.population_year,
           coalesce(p.districts_total, 0) as districts_total,
           coalesce(p.districts_with_population, 0) as districts_with_population
    from (select unnest($cities::varchar[]) as city) c
    left join cities_ k using (city)
    left join per_city p using (city)
)
select * from final order by city
