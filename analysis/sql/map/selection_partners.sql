-- Map side panel: partners of the selection (district 'd', institution 'i', or a city's institutions known only to city level 'c') under the shared filters: the other party of each agreement touching it, most agreements first, at most $limit, with the partner's source and the total before the limit.
with links as (
    select agreement_id, signed_on, partner
    from agreement_ends($year_from, $year_to, $cities, $kinds, $include_illustrative)
    where case $sel_kind
              when 'd' then district = $sel_value
              when 'i' then id = $sel_value
              when 'c' then city = $sel_value and district is null
              else false
          end
),
stats as (
    select partner as id, count(distinct agreement_id) as agreements,
           min(signed_on) as first_signed, max(signed_on) as last_signed
    from links
    group by partner
),
final as (
    select i.id, i.type, i.subtype, i.name_zh, i.name_en, i.city, d.name_zh as district_zh,
           d.name_en as district_en, i.illustrative, i.provenance,
           s.agreements::bigint as agreements, s.first_signed, s.last_signed,
           count(*) over () as total
    from stats s
    join institutions i using (id)
    left join districts d using (district_code)
)
select * from final order by agreements desc, last_signed desc, id
limit $limit
