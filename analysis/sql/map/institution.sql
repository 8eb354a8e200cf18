-- Map side panel: one institution by id (the selected one), with its district's names and its source.
with final as (
    select i.id, i.type, i.subtype, i.name_zh, i.name_en, i.city, i.district_code,
           d.name_zh as district_zh, d.name_en as district_en, i.geo_precision, i.illustrative,
           i.provenance
    from institutions i
    left join districts d using (district_code)
    where i.id = $id
)
select * from final
