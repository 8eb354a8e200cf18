-- Map: individual agreements as arcs between the two parties' own positions (used while the filtered set is small), with names and districts for the hover cards; at most $limit, oldest first.
with agreements_ as (
    select *
    from filtered_agreements($year_from, $year_to, $cities, $kinds, $include_illustrative)
    where cross_city or not $cross_only
),
final as (
    select a.agreement_id, a.year::integer as year, a.signed_on, a.kind, a.cross_city,
           a.illustrative,
           a.a_name_zh, a.a_name_en, a.a_city, da.name_zh as a_district_zh,
           da.name_en as a_district_en, a.a_lon, a.a_lat,
           a.b_name_zh, a.b_name_en, a.b_city, db.name_zh as b_district_zh,
           db.name_en as b_district_en, a.b_lon, a.b_lat
    from agreements_ a
    left join districts da on da.district_code = a.a_district
    left join districts db on db.district_code = a.b_district
)
select * from final order by signed_on, agreement_id
limit $limit
