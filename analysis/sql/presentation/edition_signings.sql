-- Presenter deck: the agreements signed at one forum edition ($event_id) under the filters,
-- both parties named, oldest first.
with final as (
    select agreement_id, signed_on, kind, a_name_zh, a_name_en, a_city, b_name_zh, b_name_en,
           b_city, title, provenance, illustrative, cross_city
    from filtered_agreements($year_from, $year_to, $cities, $kinds, $include_illustrative)
    where event_id = $event_id
)
select * from final order by signed_on, agreement_id
