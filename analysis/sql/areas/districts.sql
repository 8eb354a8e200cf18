-- Map: districts of the selected cities with population and the institutions located in them (institutions known only to city level are in no district).
with districts_ as (
    select district_code, name_zh, name_en, city, lon, lat, population, population_year
    from districts
    where list_contains($cities, city)
),
located as (
    select district_code, type
    from filtered_institutions($cities, $include_illustrative)
    where district_code is not null
),
counts as (
    select district_code,
           count(*) as institutions,
           count(*) filter (where type = 'base') as bases,
           count(*) filter (where type = 'school') as schools
    from located
    group by district_code
),
final as (
    select d.*,
           coalesce(c.institutions, 0)::bigint as institutions,
           coalesce(c.bases, 0)::bigint as bases,
           coalesce(c.schools, 0)::bigint as schools
    from districts_ d
    left join counts c using (district_code)
)
select * from final order by city, district_code
