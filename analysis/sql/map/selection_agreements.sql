-- Map side panel: agreements under the shared filters touching the selection (a district 'd', an institution 'i', or a city's institutions known only to city level 'c'), newest first, at most $limit, with both parties, the source and the total before the limit.
with agreements_ as (
    select *
    from filtered_agreements($year_from, $year_to, $cities, $kinds, $include_illustrative)
    where case $sel_kind
        when 'd' then a_district = $sel_value or b_district = $sel_value
        when 'i' then party_a_id = $sel_value or party_b_id = $sel_value
        when 'c' then (a_city = $sel_value and a_district is null)
                   or (b_city = $sel_value and b_district is null)
        else false
    end
),
final as (
    select a.agreement_id, a.signed_on, a.kind, a.cross_city, a.illustrative, a.title,
           a.event_id, a.provenance,
           a.party_a_id, a.a_name_zh, a.a_name_en, a.a_city, da.name_zh as a_district_zh,
           da.name_en as a_district_en, a.a_lon, a.a_lat,
           a.party_b_id, a.b_name_zh, a.b_name_en, a.b_city, db.name_zh as b_district_zh,
           db.name_en as b_district_en, a.b_lon, a.b_lat,
           count(*) over () as total
    from agreements_ a
    left join districts da on da.district_code = a.a_district
    left join districts db on db.district_code = a.b_district
)
select * from final order by signed_on desc, agreement_id
limit $limit
