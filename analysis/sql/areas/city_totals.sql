-- Map: totals per selected city, including institutions known only to city level (drawn at the city centre, counted here but in no district). An agreement touches a city once, even when both parties are in it.
with cities_ as (
    select unnest($cities) as city
),
inst as (
    select city,
           count(*) as institutions,
           count(*) filter (where type = 'base') as bases,
           count(*) filter (where type = 'school') as schools,
           count(*) filter (where district_code is null) as city_level_institutions
    from filtered_institutions($cities, $include_illustrative)
    group by city
),
agreements_ as (
    select a_city, b_city, a_district, b_district, agreements as n
    from filtered_pair_counts($year_from, $year_to, $cities, $kinds, $include_illustrative)
),
touches as (
    select a_city as city,
           a_district is null or (b_city = a_city and b_district is null) as city_level, n
    from agreements_
    union all
    select b_city, b_district is null, n
    from agreements_
    where b_city <> a_city
),
agr as (
    select city, sum(n) as agreements, coalesce(sum(n) filter (where city_level), 0) as city_level_agreements
    from touches
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
