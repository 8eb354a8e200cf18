-- Agreements under the current filters, newest first, with both parties' names and the source.
with final as (
    select agreement_id, signed_on, kind, a_name_zh, a_name_en, a_city, b_name_zh, b_name_en,
           b_city, event_id, title, provenance, illustrative, cross_city
    from filtered_agreements($year_from, $year_to, $cities, $kinds, $include_illustrative)
)
select * from final order by signed_on desc, agreement_id
limit $limit
