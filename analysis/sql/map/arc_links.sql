-- Map: the links each animation frame draws, for large sets: agreements summed by place pair, kind and cross-city over the frame's year (per year) or every year of the range up to it ($cumulative). A place is a district (at its centroid) or, for a party known only to city level, 'city:<city>' (at the city centre); pairs are unordered (place_1 <= place_2), and a place paired with itself draws no arc and is left out. At most $limit links a frame, the most agreements first; links_in_frame counts them all.
with agreements_ as (
    select year::integer as year, kind, cross_city, illustrative, agreements as n,
           coalesce(a_district, 'city:' || a_city) as a_place,
           coalesce(b_district, 'city:' || b_city) as b_place
    from filtered_pair_counts($year_from, $year_to, $cities, $kinds, $include_illustrative)
    where cross_city or not $cross_only
),
pairs as (
    select year, kind, cross_city,
           least(a_place, b_place) as place_1, greatest(a_place, b_place) as place_2,
           sum(n) as agreements, coalesce(sum(n) filter (where illustrative), 0) as illustrative_agreements
    from agreements_
    where a_place <> b_place
    group by all
),
frames as (
    select unnest(range($year_from::integer, $year_to::integer + 1)) as frame
),
links as (
    select f.frame, p.place_1, p.place_2, p.kind, p.cross_city,
           sum(p.agreements)::bigint as agreements,
           sum(p.illustrative_agreements)::bigint as illustrative_agreements
    from frames f
    join pairs p on p.year = f.frame or ($cumulative and p.year < f.frame)
    group by all
),
ranked as (
    select *, count(*) over (partition by frame) as links_in_frame,
           row_number() over (partition by frame
                              order by agreements desc, place_1, place_2, kind, cross_city) as rank
    from links
    qualify rank <= $limit
),
final as (
    select r.frame, r.kind, r.cross_city, r.place_1, r.place_2,
           p1.name_zh as name_zh_1, p1.name_en as name_en_1, p1.city as city_1,
           p1.lon as lon_1, p1.lat as lat_1,
           p2.name_zh as name_zh_2, p2.name_en as name_en_2, p2.city as city_2,
           p2.lon as lon_2, p2.lat as lat_2,
           r.agreements, r.illustrative_agreements, r.links_in_frame, r.rank
    from ranked r
    join arc_places p1 on p1.place = r.place_1
    join arc_places p2 on p2.place = r.place_2
)
select * exclude (rank) from final order by frame, rank
