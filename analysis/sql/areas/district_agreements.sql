-- Map: agreements touching each district, per year, under the shared filters. An agreement counts once for a district even when both parties are in it; a party known only to city level touches no district.
with agreements_ as (
    select year, a_district, b_district, agreements as n
    from filtered_pair_counts($year_from, $year_to, $cities, $kinds, $include_illustrative)
),
touches as (
    select year, a_district as district_code, n from agreements_ where a_district is not null
    union all
    select year, b_district, n from agreements_
    where b_district is not null and b_district is distinct from a_district
),
final as (
    select district_code, year::integer as year, sum(n)::bigint as agreements
    from touches
    group by district_code, year
)
select * from final order by district_code, year
