-- Map: agreements aggregated by place pair, kind and year (the presenter's hall map sums them per district pair; the map's large sets take map/arc_links). A place is a district (at its centroid) or, for a party known only to city level, 'city:<city>' (at the city centre). Pairs are unordered (place_1 <= place_2); a pair of a place with itself is kept and counted.
with agreements_ as (
    select year, kind, cross_city, illustrative, agreements as n,
           coalesce(a_district, 'city:' || a_city) as a_place,
           coalesce(b_district, 'city:' || b_city) as b_place
    from filtered_pair_counts($year_from, $year_to, $cities, $kinds, $include_illustrative)
    where cross_city or not $cross_only
),
pairs as (
    select year::integer as year, kind, cross_city,
           least(a_place, b_place) as place_1, greatest(a_place, b_place) as place_2,
           sum(n)::bigint as agreements,
           coalesce(sum(n) filter (where illustrative), 0)::bigint as illustrative_agreements
    from agreements_
    group by all
),
final as (
    select p.year, p.kind, p.cross_city, p.place_1, p.place_2,
           p1.name_zh as name_zh_1, p1.name_en as name_en_1, p1.city as city_1,
           p1.lon as lon_1, p1.lat as lat_1,
           p2.name_zh as name_zh_2, p2.name_en as name_en_2, p2.city as city_2,
           p2.lon as lon_2, p2.lat as lat_2,
           p.agreements, p.illustrative_agreements
    from pairs p
    join arc_places p1 on p1.place = p.place_1
    join arc_places p2 on p2.place = p.place_2
)
select * from final order by year, place_1, place_2, kind
